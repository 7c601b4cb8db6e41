package io.millwright.whatif.api;

import io.millwright.api.Sample;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The physics of some assets, as an OSGi service a plant installs (the simulator's is the first): starts from what the
 * twin reports and advances the machine under given operating conditions. Engine-neutral: it produces the samples its
 * device would, so the deployed model's features are computed from them exactly as in the gateway.
 */
@ConsumerType
public interface AssetPhysics {

    /** @return the physics' id, e.g. {@code simulator-physics} */
    String id();

    /** @return its version */
    String version();

    /**
     * @param asset an asset id
     * @param assetClass its class
     * @return whether this physics models that asset
     */
    boolean covers(String asset, String assetClass);

    /**
     * Starts a run from the asset's current state.
     *
     * @param asset the asset
     * @param reported the twin's reported values by tag (canonical units)
     * @param rulHours the deployed model's remaining useful life now, hours (NaN if none): an estimate of the wear
     * @param seed for the run's noise
     * @return a run, owned by one thread
     */
    Run start(String asset, Map<String, Double> reported, double rulHours, long seed);

    /**
     * How the asset's device samples, in physics time: the deployed model's features were computed from windows of
     * device samples, so a run samples the same way.
     *
     * @param sampleIntervalSeconds device-clock seconds between two samples
     * @param physicsSecondsPerSample physics seconds between two samples (more than the interval when the plant runs
     *        faster than the clock, as the demo's simulator does)
     * @param waveformEverySamples a vibration block with every n-th sample, 0 for none
     * @param waveformRateHz the blocks' sample rate
     * @param waveformPoints points per block
     */
    record Cadence(double sampleIntervalSeconds, double physicsSecondsPerSample, int waveformEverySamples, double waveformRateHz,
            int waveformPoints) {
    }

    /** One simulation, advanced by one thread. */
    interface Run {

        /** @return how the device samples */
        Cadence cadence();

        /**
         * @param scenario the operating conditions from now on
         */
        void apply(Scenario scenario);

        /**
         * Advances the machine.
         *
         * @param seconds simulated seconds
         * @return what happened in that step
         */
        Step advance(double seconds);

        /**
         * @param timeMicros the samples' time (device clock)
         * @param waveform whether a vibration block comes with them
         * @return the samples the asset's device would deliver now (channel tags as the asset's tags)
         */
        List<Sample> sample(long timeMicros, boolean waveform);
    }

    /**
     * What one step did.
     *
     * @param running whether the machine ran (not tripped, not under repair)
     * @param tripped whether it tripped in this step
     * @param output units produced in the step
     * @param energyKwh energy used in the step
     * @param rejects units rejected in the step
     * @param speed speed at the end, rpm
     * @param bearingTemperatureC bearing temperature at the end
     * @param vibrationRms vibration RMS at the end, m/s²
     */
    record Step(boolean running, boolean tripped, double output, double energyKwh, double rejects, double speed, double bearingTemperatureC,
            double vibrationRms) {
    }
}
