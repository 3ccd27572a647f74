package dev.segmenta.web.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.IngestionService;
import dev.segmenta.persistence.ingest.UserUpdate;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.persistence.segment.StaticSegmentImport;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A static segment from a CSV reports its progress by rows while it reads and matches the file (rows read, accepted,
 * rejected after each chunk of 1,000 readable rows), as the users import does, and ends with the same counts as its report.
 */
@QuarkusTest
class StaticSegmentProgressTest {
    @Inject
    StaticSegmentImport staticSegments;

    @Inject
    IngestionService ingestion;

    @Test
    void progressFollowsRowsReadAcceptedAndRejected_chunkByChunk() {
        String cohort = "ssp" + UUID.randomUUID().toString().substring(0, 8);
        List<UserUpdate> people = new ArrayList<>();
        for (int i = 0; i < 2400; i++) {
            people.add(new UserUpdate(Identity.ofEmail("u" + i + "@" + cohort + ".test"), JsonNodeFactory.instance.objectNode(), false));
        }
        assertThat(ingestion.updateUsers(people, List.of()).failCount()).isZero();

        StringBuilder csv = new StringBuilder("email,note\n");
        csv.append(",empty email\n");                                          // line 2: unreadable (empty cell)
        for (int i = 0; i < 1000; i++) {
            csv.append("u").append(i).append('@').append(cohort).append(".test,x\n"); // lines 3..1002
        }
        csv.append("U0@").append(cohort).append(".test,again\n");               // line 1003: the same user as line 3
        for (int i = 1000; i < 1999; i++) {
            csv.append("u").append(i).append('@').append(cohort).append(".test,x\n"); // lines 1004..2002
        }
        csv.append("nobody@").append(cohort).append(".test,x\n");               // line 2003: no such user
        for (int i = 1999; i < 2400; i++) {
            csv.append("u").append(i).append('@').append(cohort).append(".test,x\n"); // lines 2004..2404
        }

        List<String> heard = new ArrayList<>();
        StaticSegmentImport.Outcome outcome = staticSegments.create("Progress cohort " + cohort, "", "email", "cohort.csv",
                new StringReader(csv.toString()), "test", (read, accepted, rejected) -> heard.add(read + "/" + accepted + "/" + rejected));

        assertThat(heard).containsExactly("1001/1000/1", "2001/1999/2", "2403/2400/3");
        assertThat(outcome.accepted()).isEqualTo(2400);
        assertThat(outcome.rejected()).extracting(ImportReport.Rejection::line).containsExactly(2L, 1003L, 2003L);
        assertThat(outcome.rejected()).extracting(ImportReport.Rejection::reason).containsExactly("the email cell is empty",
                "the same user as line 3", "no user with email 'nobody@" + cohort + ".test'");
    }
}
