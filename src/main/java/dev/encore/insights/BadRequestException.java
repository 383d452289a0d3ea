package dev.encore.insights;

/** A request parameter is wrong; the message says which and why (HTTP 400). */
public class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
