package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldPath;
import org.junit.jupiter.api.Test;

class SchemaFillTest {
    @Test
    void signupDateAndProfileUpdatedAt_areSetOnEveryUser_evenWhenADataFieldOfThatNameCountedNone() {
        Schema schema = Schema.builder().totalUsers(10).userField("signupDate", FieldType.DATE, 0).userField("plan", FieldType.STRING, 4)
                .build();
        assertThat(schema.usersWithField(FieldPath.parseDotted("signupDate"))).hasValue(10);
        assertThat(schema.usersWithField(FieldPath.parseDotted("profileUpdatedAt"))).hasValue(10);
        assertThat(schema.usersWithField(FieldPath.parseDotted("plan"))).hasValue(4);
    }
}
