package org.chatrelay.admin.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void a_hash_is_salted_slow_pbkdf2_and_verifies_only_its_password() {
        PasswordHash h = PasswordHash.create("s3cret-password".toCharArray());
        assertTrue(h.encoded().startsWith("pbkdf2-sha256$600000$"), h.encoded());
        assertTrue(h.matches("s3cret-password".toCharArray()));
        assertFalse(h.matches("s3cret-passwore".toCharArray()));
        assertNotEquals(h.encoded(), PasswordHash.create("s3cret-password".toCharArray()).encoded(), "a fresh salt each time");
        assertEquals(h, PasswordHash.parse(h.encoded()));
        assertFalse(h.toString().contains(h.encoded().substring(25)), "toString hides salt and hash");
    }

    @Test
    void jetty_forms_plain_text_and_weak_iteration_counts_are_refused() {
        for (String bad : new String[] {"MD5:5f4dcc3b5aa765d61d8327deb882cf99", "CRYPT:adpexzg3FUZAk", "letmein", "OBF:1v2j1uum",
                "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad));
            assertFalse(e.getMessage().contains(bad), "never echoes the value");
        }
    }
}
