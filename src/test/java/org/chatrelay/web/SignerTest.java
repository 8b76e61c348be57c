package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignerTest {
    static byte[] secret(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void a_signature_verifies_only_its_text_under_its_secret() {
        Signer s = new Signer(secret(1));
        String sig = s.sign("visitor-cookie:abc");
        assertTrue(s.verify("visitor-cookie:abc", sig));
        assertFalse(s.verify("visitor-cookie:abd", sig));
        assertFalse(new Signer(secret(2)).verify("visitor-cookie:abc", sig));
        assertFalse(s.verify("visitor-cookie:abc", null));
        assertFalse(s.verify("visitor-cookie:abc", sig.substring(1)));
    }

    @Test
    void csrf_tokens_keep_their_value_so_open_pages_stay_valid_and_differ_from_the_cookie_signature() {
        Signer s = new Signer(secret(1));
        CsrfTokens csrf = new CsrfTokens(s);
        assertEquals(s.sign("AAAAAAAAAAAAAAAAAAAAAA"), csrf.tokenFor("AAAAAAAAAAAAAAAAAAAAAA"));
        assertFalse(csrf.valid("AAAAAAAAAAAAAAAAAAAAAA", s.sign("visitor-cookie:AAAAAAAAAAAAAAAAAAAAAA")));
    }
}
