package io.millwright.training;

/** Progress of a long run, printed with the elapsed time. */
final class Progress {

    private final long start = System.nanoTime();
    private final boolean quiet;

    Progress(boolean quiet) {
        this.quiet = quiet;
    }

    void step(String what) {
        if (!quiet) {
            System.out.printf("[%6.1f s] %s%n", (System.nanoTime() - start) / 1e9, what);
            System.out.flush();
        }
    }
}
