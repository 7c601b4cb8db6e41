/**
 * Alarms as alarm-management practice (ISA-18.2 / IEC 62682) defines them: {@link io.millwright.alarm.api.AlarmDefinition
 * definitions} per asset class (limits with deadband and delays, rate of change, deviation, stale data, BAD quality,
 * discrete states such as a model's urgency), four priorities, the states of the alarm lifecycle
 * ({@link io.millwright.alarm.api.AlarmState}) and the {@link io.millwright.alarm.api.Alarms} service through which people
 * acknowledge, shelve and comment, and readers follow the durable log of {@link io.millwright.alarm.api.AlarmEvent
 * transitions}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.millwright.alarm.api;
