/** The twin and alarm engine: one reader of the journal, its store and its services. Private to the bundle. */
package io.millwright.twin.internal;
