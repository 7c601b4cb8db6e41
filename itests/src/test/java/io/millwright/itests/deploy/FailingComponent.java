package io.millwright.itests.deploy;

/**
 * The component of the bundle DeploymentIT builds to be rolled back: it installs, resolves and starts cleanly, and
 * its component fails to activate — the case a framework-level install session does not catch.
 */
public class FailingComponent {

    /** Declared as the component's activate method in the bundle's OSGI-INF/failing.xml. */
    public void activate() {
        throw new IllegalStateException("calibration table missing");
    }
}
