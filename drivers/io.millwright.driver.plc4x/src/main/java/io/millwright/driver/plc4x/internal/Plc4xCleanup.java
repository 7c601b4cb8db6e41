package io.millwright.driver.plc4x.internal;

import io.netty.channel.ChannelHandlerContext;
import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.spi.Plc4xNettyWrapper;
import org.apache.plc4x.java.spi.connection.ChannelExposingConnection;
import org.apache.plc4x.java.spi.events.CloseConnectionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes PLC4X's own cleanup of a connection that its peer closed. PLC4X 0.13 releases a connection's request
 * transaction manager (threads {@code plc4x-tm-thread-*}) and its timeout timer (a {@code HashedWheelTimer}) only
 * when {@code close()} finds the channel still open; once the peer has cut it, Netty has already emptied the
 * pipeline and shut the event loop down, and both leak — about four threads per reconnect (measured in
 * {@code Plc4xIT}). This keeps the protocol handler and its context from the moment of connecting and, after
 * {@code close()}, delivers the close event and the close call to it directly. Harmless when PLC4X did clean up
 * (both are idempotent) and a no-op for connections that are not Netty-based. Revisit with each PLC4X upgrade.
 */
final class Plc4xCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(Plc4xCleanup.class);

    private final Plc4xNettyWrapper<?> handler;
    private final ChannelHandlerContext context;

    private Plc4xCleanup(Plc4xNettyWrapper<?> handler, ChannelHandlerContext context) {
        this.handler = handler;
        this.context = context;
    }

    /**
     * @param connection a connected connection
     * @return its cleanup, captured now while the pipeline is complete
     */
    static Plc4xCleanup capture(PlcConnection connection) {
        if (connection instanceof ChannelExposingConnection exposing && exposing.getChannel() != null) {
            var pipeline = exposing.getChannel().pipeline();
            Plc4xNettyWrapper<?> handler = pipeline.get(Plc4xNettyWrapper.class);
            ChannelHandlerContext context = pipeline.context(Plc4xNettyWrapper.class);
            if (handler != null && context != null) {
                return new Plc4xCleanup(handler, context);
            }
        }
        return new Plc4xCleanup(null, null);
    }

    /** After {@code close()}: shuts the protocol's transaction manager and the timeout timer down. */
    void finish() {
        if (handler == null) {
            return;
        }
        try {
            handler.userEventTriggered(context, new CloseConnectionEvent()); // → the protocol's close(): transaction manager
        } catch (Exception | LinkageError e) {
            LOG.debug("PLC4X close event: {}", e.toString());
        }
        try {
            handler.close(context, context.newPromise()); // → the timeout timer
        } catch (Exception | LinkageError e) {
            LOG.debug("PLC4X handler close: {}", e.toString());
        }
    }
}
