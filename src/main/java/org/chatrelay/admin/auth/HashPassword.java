package org.chatrelay.admin.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints a {@code CHATRELAY_ADMIN_PASSWORD_HASH} for a password read from the terminal (or one line of standard
 * input), so the password itself never has to sit in the environment, a file or the shell history:
 * {@code java -cp target/chatrelay/WEB-INF/classes org.chatrelay.admin.auth.HashPassword}.
 */
public final class HashPassword {
    private HashPassword() {
    }

    public static void main(String[] args) throws IOException {
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Admin password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length < 8) {
            System.err.println("A password needs at least 8 characters.");
            System.exit(2);
        }
        System.out.println(PasswordHash.create(password).encoded());
    }
}
