package io.millwright.scoring.weka.internal;

/** A model package that cannot be used; the message names the package and the reason. */
final class InvalidModelException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidModelException(String message) {
        super(message);
    }

    InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
