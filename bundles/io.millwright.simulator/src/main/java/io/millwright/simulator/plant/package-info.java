/**
 * The simulated plant's physics as a plain library: {@link io.millwright.simulator.plant.SimulatedPlant} (a pump
 * with a developing bearing fault, a motor, a compressor). The gateway's simulator device drives it in real time;
 * the training tool runs it offline, through the same code, for the simulated plant's reference model.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.millwright.simulator.plant;
