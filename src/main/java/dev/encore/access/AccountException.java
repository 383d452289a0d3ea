package dev.encore.access;

/** An account operation refused for a reason the person can act on (the message says which). */
public class AccountException extends RuntimeException {
    public AccountException(String message) {
        super(message);
    }
}
