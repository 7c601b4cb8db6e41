/** The alarm engine: lifecycle, conditions, the engine's records. Private to the twin bundle. */
package io.millwright.twin.internal.alarm;
