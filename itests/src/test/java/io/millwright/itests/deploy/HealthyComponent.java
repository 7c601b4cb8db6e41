package io.millwright.itests.deploy;

/** The component of a bundle the deployment tests build to be committed: it activates. */
public class HealthyComponent {

    /** Declared as the component's activate method. */
    public void activate() {
        // nothing to do: being active is the point
    }
}
