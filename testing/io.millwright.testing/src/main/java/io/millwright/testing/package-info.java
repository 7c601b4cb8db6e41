/**
 * Test support shared by Millwright's tests: a collecting {@link io.millwright.testing.CollectingSink}, awaits on a
 * state ({@link io.millwright.testing.Await}) rather than sleeps, and typed component configurations built from a
 * map ({@link io.millwright.testing.Configs}). Not part of any distribution.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.millwright.testing;
