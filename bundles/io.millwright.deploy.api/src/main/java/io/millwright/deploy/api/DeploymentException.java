package io.millwright.deploy.api;

/** A deployment that cannot go ahead, with the reason a person can act on. */
public class DeploymentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the reason */
    public DeploymentException(String message) {
        super(message);
    }
}
