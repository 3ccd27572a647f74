package dev.segmenta.web;

import dev.segmenta.persistence.apikey.Scope;
import dev.segmenta.web.api.RequiresScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.QueryParam;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Every HTTP route of the web module, read from the resource classes themselves (so a route added tomorrow is in
 * the tests that walk them): method, path template, what it requires, how its body is sent, its query parameters.
 */
public final class Routes {
    private Routes() {}

    /** One resource method. {@code role} is the {@code @RolesAllowed} role (pages), {@code scope} the API key scope. */
    public record Route(String method, String template, Scope scope, boolean keyInBody, String role, boolean multipart, boolean json,
            List<String> queryParams) {
        public boolean api() {
            return template.startsWith("/api/") || template.startsWith("/v1/");
        }

        /** The path with each {@code {param}} replaced by what {@code value} gives for its name. */
        public String path(UnaryOperator<String> value) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                if (open < 0) {
                    out.append(template, i, template.length());
                    break;
                }
                int close = template.indexOf('}', open);
                out.append(template, i, open);
                String name = template.substring(open + 1, close).split(":")[0].trim();
                out.append(value.apply(name));
                i = close + 1;
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    public static List<Route> all() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : resourceClasses()) {
            jakarta.ws.rs.Path classPath = c.getAnnotation(jakarta.ws.rs.Path.class);
            for (Method m : c.getDeclaredMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                jakarta.ws.rs.Path methodPath = m.getAnnotation(jakarta.ws.rs.Path.class);
                String path = join(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value());
                RequiresScope scope = m.getAnnotation(RequiresScope.class) != null ? m.getAnnotation(RequiresScope.class)
                        : c.getAnnotation(RequiresScope.class);
                RolesAllowed roles = m.getAnnotation(RolesAllowed.class) != null ? m.getAnnotation(RolesAllowed.class)
                        : c.getAnnotation(RolesAllowed.class);
                boolean multipart = Stream.of(m.getParameters()).map(Parameter::getType).anyMatch(FileUpload.class::equals);
                Consumes consumes = m.getAnnotation(Consumes.class) != null ? m.getAnnotation(Consumes.class) : c.getAnnotation(Consumes.class);
                boolean json = consumes != null && List.of(consumes.value()).contains("application/json");
                List<String> query = Stream.of(m.getParameters()).map(p -> p.getAnnotation(QueryParam.class)).filter(q -> q != null)
                        .map(QueryParam::value).toList();
                routes.add(new Route(http, path, scope == null ? null : scope.value(), scope != null && scope.keyInBody(),
                        roles == null ? null : roles.value()[0], multipart, json, query));
            }
        }
        routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        return routes;
    }

    private static String join(String a, String b) {
        String p = ("/" + a + "/" + b).replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String httpMethod(Method m) {
        for (Class<? extends Annotation> a : List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName();
            }
        }
        return null;
    }

    private static List<Class<?>> resourceClasses() {
        try {
            Path root = Path.of(RequiresScope.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.walk(root.resolve("dev/segmenta/web"))) {
                List<Class<?>> classes = new ArrayList<>();
                for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                    String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class<?> c = Class.forName(name, false, Routes.class.getClassLoader());
                    if (c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                        classes.add(c);
                    }
                }
                return classes;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the resource classes", e);
        }
    }
}
