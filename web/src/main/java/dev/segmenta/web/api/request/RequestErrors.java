package dev.segmenta.web.api.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.segmenta.persistence.ingest.InputReader;
import dev.segmenta.persistence.ingest.InvalidItemException;
import dev.segmenta.persistence.ingest.ItemFailure;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.validator.engine.HibernateConstraintViolation;

/**
 * The one translation from what Jackson and Bean Validation report about a request body to the error ingestion
 * would have raised: an {@link InvalidItemException} naming the field ({@code users[3].email}), with Iterable's
 * wording. {@code where} is where the record sits in the request ({@code ""} for the body itself).
 */
public final class RequestErrors {
    private RequestErrors() {}

    /** The error when a record's JSON is not an object at all ({@code null}, an array, a number). */
    public static InvalidItemException notAnObject(Class<?> type, String where) {
        WrongType declared = type.getAnnotation(WrongType.class);
        String named = where.isEmpty() ? "the body" : where;
        if (declared == null) {
            return new InvalidItemException(where, ItemFailure.Kind.INVALID_DATA, named + " must be a JSON object");
        }
        String field = declared.field().isEmpty() ? where : InputReader.at(where, declared.field());
        return new InvalidItemException(field, ItemFailure.Kind.INVALID_DATA, declared.value().replace("{path}", named));
    }

    /** A component of the wrong JSON type, or a number out of range. */
    public static InvalidItemException typeMismatch(JsonProcessingException e, JsonNode tree, Class<?> type, String where) {
        List<Object> steps = steps(e);
        String path = path(where, steps);
        Optional<WrongType> declared = declared(type, steps);
        boolean element = !steps.isEmpty() && steps.get(steps.size() - 1) instanceof Integer;
        JsonNode sent = tree.at(pointer(steps));
        String template = declared.map(w -> element ? w.elements() : w.value()).filter(t -> !t.isEmpty())
                .orElseGet(() -> defaultMessage(e, steps.isEmpty()));
        String field = steps.isEmpty() && declared.isPresent() && !declared.get().field().isEmpty()
                ? InputReader.at(where, declared.get().field()) : path;
        String message = template.replace("{path}", path.isEmpty() ? "the body" : path)
                .replace("{sent}", String.valueOf(sent))
                .replace("{type}", sent.getNodeType().name().toLowerCase());
        return new InvalidItemException(field, ItemFailure.Kind.INVALID_DATA, message);
    }

    /**
     * The first violation, in the order of the record's components (checks of the whole item first), as ingestion
     * would have reported it; empty when there is none.
     */
    public static <T> Optional<InvalidItemException> firstViolation(Set<ConstraintViolation<T>> violations, Class<?> type, String where) {
        List<String> order = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                order.add(c.getName());
            }
        }
        return violations.stream()
                .min(Comparator.comparingInt((ConstraintViolation<T> v) -> rank(v, order)).thenComparing(v -> v.getPropertyPath().toString()))
                .map(v -> translate(v, where));
    }

    private static int rank(ConstraintViolation<?> v, List<String> order) {
        var nodes = v.getPropertyPath().iterator();
        if (!nodes.hasNext()) {
            return -1;
        }
        Path.Node first = nodes.next();
        if (first.getName() == null) {
            return -1;
        }
        int index = order.indexOf(first.getName());
        return index < 0 ? order.size() : index;
    }

    private static InvalidItemException translate(ConstraintViolation<?> v, String where) {
        String path = where;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getIndex() != null) {
                path = path + "[" + node.getIndex() + "]";
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                path = InputReader.at(path, node.getName());
            }
        }
        RequestViolation detail = v instanceof HibernateConstraintViolation<?> h ? h.getDynamicPayload(RequestViolation.class) : null;
        if (detail != null) {
            return detail.at().apply(path);
        }
        // A plain constraint's message names the place with {path} and the value sent with {sent}.
        String message = v.getMessage().replace("{path}", path.isEmpty() ? "the body" : path)
                .replace("{sent}", String.valueOf(v.getInvalidValue()));
        return new InvalidItemException(path, ItemFailure.Kind.INVALID_DATA, message);
    }

    private static String defaultMessage(JsonProcessingException e, boolean body) {
        Class<?> target = null;
        // A number out of range arrives wrapped (with the path) around the parser's InputCoercionException.
        for (Throwable t = e; t != null && target == null; t = t.getCause()) {
            target = t instanceof MismatchedInputException m ? m.getTargetType()
                    : t instanceof InputCoercionException c ? c.getTargetType() : null;
        }
        if (body || (target != null && (Map.class.isAssignableFrom(target) || target.isRecord() || JsonNode.class.isAssignableFrom(target)))) {
            return "{path} must be a JSON object";
        }
        if (target == null) {
            return "{path} has the wrong type";
        }
        if (CharSequence.class.isAssignableFrom(target)) {
            return "{path} must be a string, got {type}";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "{path} must be true or false";
        }
        if (Number.class.isAssignableFrom(target) || (target.isPrimitive() && target != boolean.class)) {
            return "{path} must be an integer";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "{path} must be an array";
        }
        return "{path} has the wrong type";
    }

    /** Property names and array indexes from the record down to the value at fault. */
    private static List<Object> steps(JsonProcessingException e) {
        List<Object> steps = new ArrayList<>();
        if (e instanceof JsonMappingException d && !d.getPath().isEmpty()) {
            for (var reference : d.getPath()) {
                if (reference.getIndex() >= 0) {
                    steps.add(reference.getIndex());
                } else if (reference.getFieldName() != null) {
                    steps.add(reference.getFieldName());
                }
            }
            return steps;
        }
        // A number out of range comes from the parser, without a path: read it from where the parser stands.
        if (e.getProcessor() instanceof JsonParser parser) {
            for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot(); context = context.getParent()) {
                if (context.inArray()) {
                    steps.add(0, context.getCurrentIndex());
                } else if (context.getCurrentName() != null) {
                    steps.add(0, context.getCurrentName());
                }
            }
        }
        return steps;
    }

    private static String path(String where, List<Object> steps) {
        String path = where;
        for (Object step : steps) {
            path = step instanceof Integer i ? path + "[" + i + "]" : InputReader.at(path, (String) step);
        }
        return path;
    }

    private static JsonPointer pointer(List<Object> steps) {
        JsonPointer pointer = JsonPointer.empty();
        for (Object step : steps) {
            pointer = step instanceof Integer i ? pointer.appendIndex(i) : pointer.appendProperty((String) step);
        }
        return pointer;
    }

    /** The {@link WrongType} declared for the value at fault: on its component, on the array holding it, or on the record. */
    private static Optional<WrongType> declared(Class<?> type, List<Object> steps) {
        Class<?> owner = type;
        WrongType found = type.getAnnotation(WrongType.class);
        for (Object step : steps) {
            if (step instanceof Integer) {
                continue;
            }
            Field field = field(owner, (String) step);
            if (field == null) {
                return Optional.empty();
            }
            found = field.getAnnotation(WrongType.class);
            owner = field.getType();
        }
        return Optional.ofNullable(found);
    }

    private static Field field(Class<?> owner, String name) {
        try {
            return owner.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
