package dev.segmenta.web.iterable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.web.api.request.DataFields;
import dev.segmenta.web.api.request.Identified;
import dev.segmenta.web.api.request.JsonRequest;

/** A profile update (Iterable {@code users/update}, and each item of {@code users/bulkUpdate}). */
@Identified.Checked
public record UserItem(String email, String userId, @DataFields JsonNode dataFields, Boolean mergeNestedObjects)
        implements JsonRequest, Identified {

    UserUpdate toUpdate() {
        return new UserUpdate(identity(), DataFields.Check.orEmpty(dataFields), Boolean.TRUE.equals(mergeNestedObjects));
    }
}
