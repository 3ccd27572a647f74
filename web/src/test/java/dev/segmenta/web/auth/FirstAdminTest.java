package dev.segmenta.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up check of SEGMENTA_ADMIN_PASSWORD: one line naming the setting and the 10-character rule. */
class FirstAdminTest {
    @Test
    void shortAdminPassword_isRefusedInOneLineNamingTheRule() {
        assertThat(FirstAdmin.refusal("eightchr")).hasValueSatisfying(line -> assertThat(line)
                .contains("SEGMENTA_ADMIN_PASSWORD").contains("has 8 characters").contains("at least 10").doesNotContain("\n"));
    }

    @Test
    void tenCharacters_areEnough() {
        assertThat(FirstAdmin.refusal("0123456789")).isEmpty();
        assertThat(FirstAdmin.refusal("012345678")).isPresent();
    }
}
