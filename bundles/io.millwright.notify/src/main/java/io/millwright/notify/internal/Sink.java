package io.millwright.notify.internal;

/** Where a route delivers: returns when the receiver took the notification, throws otherwise (the route retries). */
interface Sink {

    /**
     * @param asset the asset of the alarm (MQTT topic)
     * @param payload the notification
     * @throws Exception when the receiver did not take it; the message says why
     */
    void deliver(String asset, byte[] payload) throws Exception;

    /** @return what the sink is, for logs and status (e.g. {@code webhook https://cmms/...}) */
    String describe();
}
