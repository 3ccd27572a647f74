package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a team keeps its segments in order: who owns each one, its tags, and whether it is archived (hidden from the
 * list by default and not recomputed on schedule). Every change is one JTA transaction with its audit row, under the
 * segment's row lock (so two changes of one segment see each other, and the audit's before is the real before).
 */
@ApplicationScoped
public class SegmentOrganisation {
    /** Tags: 1–40 characters of letters, digits, spaces, '-', '_', '/' and '.'; stored lower-case. */
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N} _./-]{1,40}");

    /** What the list and the segment page show beside a segment. {@code archivedAt} is null when it is active. */
    public record Labels(String owner, List<String> tags, Instant archivedAt, String archivedBy) {
        public boolean archived() {
            return archivedAt != null;
        }
    }

    private final AuditLog audit;
    private final Clock clock;

    public SegmentOrganisation(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Labels of every segment, by id. */
    @Transactional
    public Map<Long, Labels> all() {
        Map<Long, String> owners = new HashMap<>();
        for (Object[] row : SegmentEntity.getEntityManager().createQuery("select s.id, s.createdBy from SegmentEntity s", Object[].class)
                .getResultList()) {
            owners.put((Long) row[0], displayOwner((String) row[1]));
        }
        for (SegmentOwnerEntity o : SegmentOwnerEntity.<SegmentOwnerEntity>listAll()) {
            owners.computeIfPresent(o.segmentId, (id, creator) -> displayOwner(o.owner));
        }
        Map<Long, Set<String>> tags = new HashMap<>();
        for (SegmentTagEntity t : SegmentTagEntity.<SegmentTagEntity>listAll()) {
            tags.computeIfAbsent(t.segmentId, k -> new TreeSet<>()).add(t.tag);
        }
        Map<Long, SegmentArchiveEntity> archived = new HashMap<>();
        for (SegmentArchiveEntity a : SegmentArchiveEntity.<SegmentArchiveEntity>listAll()) {
            archived.put(a.segmentId, a);
        }
        Map<Long, Labels> out = new LinkedHashMap<>();
        for (Map.Entry<Long, String> e : owners.entrySet()) {
            SegmentArchiveEntity a = archived.get(e.getKey());
            out.put(e.getKey(), new Labels(e.getValue(), List.copyOf(tags.getOrDefault(e.getKey(), Set.of())),
                    a == null ? null : a.archivedAt, a == null ? null : a.archivedBy));
        }
        return out;
    }

    public Labels of(long id) {
        Labels labels = all().get(id);
        if (labels == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
        return labels;
    }

    /** Ids of the archived segments: the scheduler leaves them out. */
    @Transactional
    public Set<Long> archivedIds() {
        Set<Long> out = new HashSet<>();
        SegmentArchiveEntity.<SegmentArchiveEntity>listAll().forEach(a -> out.add(a.segmentId));
        return out;
    }

    @Transactional
    public void archive(long id, String actor) {
        lock(id);
        if (SegmentArchiveEntity.findById(id) == null) {
            SegmentArchiveEntity a = new SegmentArchiveEntity();
            a.segmentId = id;
            a.archivedAt = clock.instant();
            a.archivedBy = actor;
            a.persist();
            audit.record(actor, "archive", "segment", Long.toString(id), Map.of("archived", false), Map.of("archived", true));
        }
    }

    @Transactional
    public void unarchive(long id, String actor) {
        lock(id);
        if (SegmentArchiveEntity.deleteById(id)) {
            audit.record(actor, "unarchive", "segment", Long.toString(id), Map.of("archived", true), Map.of("archived", false));
        }
    }

    @Transactional
    public void setOwner(long id, String owner, String actor) {
        String clean = owner == null ? "" : owner.trim();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new SegmentaException(ErrorCode.BadParams, "owner: give a user name of 1 to 100 characters");
        }
        SegmentEntity s = lock(id);
        SegmentOwnerEntity o = SegmentOwnerEntity.findById(id);
        String before = o != null ? o.owner : displayOwner(s.createdBy);
        boolean first = o == null;
        if (first) {
            o = new SegmentOwnerEntity();
            o.segmentId = id;
        }
        o.owner = clean;
        o.setAt = clock.instant();
        o.setBy = actor;
        if (first) {
            o.persist();
        }
        audit.record(actor, "owner", "segment", Long.toString(id), Map.of("owner", before), Map.of("owner", clean));
    }

    /** Adds a tag; returns it as stored (trimmed, lower-case). */
    @Transactional
    public String addTag(long id, String tag, String actor) {
        String clean = tag == null ? "" : tag.trim().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(clean).matches()) {
            throw new SegmentaException(ErrorCode.BadParams, "tag '" + (tag == null ? "" : tag.trim())
                    + "': use 1 to 40 letters, digits, spaces or - _ . /");
        }
        lock(id);
        List<String> before = tags(id);
        if (!before.contains(clean)) {
            SegmentTagEntity t = new SegmentTagEntity();
            t.segmentId = id;
            t.tag = clean;
            t.persist();
            audit.record(actor, "tag", "segment", Long.toString(id), Map.of("tags", before), Map.of("tags", tags(id)));
        }
        return clean;
    }

    @Transactional
    public void removeTag(long id, String tag, String actor) {
        String clean = tag == null ? "" : tag.trim().toLowerCase(Locale.ROOT);
        lock(id);
        List<String> before = tags(id);
        if (SegmentTagEntity.delete("segmentId = ?1 and tag = ?2", id, clean) > 0) {
            audit.record(actor, "untag", "segment", Long.toString(id), Map.of("tags", before), Map.of("tags", tags(id)));
        }
    }

    /** Every tag in use, alphabetically. */
    @Transactional
    public List<String> allTags() {
        return SegmentTagEntity.getEntityManager().createQuery("select distinct t.tag from SegmentTagEntity t order by t.tag", String.class)
                .getResultList();
    }

    /** "web:alice" (how the audit log names a person) is shown, and matched, as "alice". */
    static String displayOwner(String owner) {
        return owner != null && owner.startsWith("web:") ? owner.substring(4) : owner;
    }

    private static SegmentEntity lock(long id) {
        return SegmentEntity.<SegmentEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
    }

    private static List<String> tags(long id) {
        return SegmentTagEntity.<SegmentTagEntity>list("segmentId", Sort.by("tag"), id).stream().map(t -> t.tag).toList();
    }
}
