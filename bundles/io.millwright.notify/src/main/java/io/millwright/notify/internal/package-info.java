/** Notification routes (alarm events to MQTT and webhooks, at least once) and retained twin documents. Private. */
package io.millwright.notify.internal;
