package org.chatrelay.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretTest {

    @Test
    void a_key_is_crk_and_32_base62_characters_at_least_128_random_bits() {
        String key = KeySecret.generate();
        assertTrue(key.matches("crk-[0-9A-Za-z]{32}"), key);
        assertTrue(32 * Math.log(62) / Math.log(2) >= 128, "entropy of 32 base62 characters");
        assertTrue(KeySecret.wellFormed(key));
    }

    @Test
    void keys_differ_and_use_the_whole_alphabet() {
        Set<String> keys = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String k = KeySecret.generate();
            keys.add(k);
            k.substring(4).chars().forEach(c -> seen.add((char) c));
        }
        assertEquals(2_000, keys.size());
        assertEquals(62, seen.size(), "every base62 character shows up in 64,000 draws");
    }

    @Test
    void the_stored_hash_is_the_hex_sha256_and_the_shown_prefix_is_ten_characters() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", KeySecret.hash(""));
        String key = "crk-Ab12Cd" + "x".repeat(26);
        assertEquals("crk-Ab12Cd", KeySecret.shownPrefix(key));
        assertFalse(KeySecret.hash(key).contains(key));
    }

    @Test
    void values_that_cannot_be_keys_are_told_apart_without_a_lookup() {
        assertFalse(KeySecret.wellFormed("sk-" + "a".repeat(33)));
        assertFalse(KeySecret.wellFormed("crk-" + "a".repeat(31)));
        assertFalse(KeySecret.wellFormed("crk-" + "a".repeat(31) + "-"));
        assertFalse(KeySecret.wellFormed("crk-" + "a".repeat(31) + "é"));
    }
}
