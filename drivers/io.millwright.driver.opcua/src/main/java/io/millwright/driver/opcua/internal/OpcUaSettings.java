package io.millwright.driver.opcua.internal;

import io.millwright.driver.support.ConfigChecks;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * The checked settings of one OPC UA device: what {@link OpcUaDevice.Config} says, validated, with the channels parsed
 * and the PKI opened.
 */
record OpcUaSettings(String deviceId, String endpointUrl, SecurityPolicy policy, MessageSecurityMode securityMode, String username,
        String password, boolean polling, List<OpcUaChannel> channels, ClientPki pki, OpcUaDevice.Config config) {

    /**
     * @param c the configuration
     * @param pkiDirectory the PKI folder
     * @return the settings
     * @throws IllegalArgumentException naming the PID, the device, the setting or channel, and the value
     */
    static OpcUaSettings of(OpcUaDevice.Config c, Path pkiDirectory) {
        try {
            String deviceId = ConfigChecks.deviceId(c.deviceId());
            String endpointUrl = ConfigChecks.required("endpointUrl", c.endpointUrl());
            if (!endpointUrl.startsWith("opc.tcp://") || EndpointUtil.getHost(endpointUrl) == null) {
                throw new IllegalArgumentException("endpointUrl=" + endpointUrl + ": must be opc.tcp://host:port[/path]");
            }
            SecurityPolicy policy = switch (ConfigChecks.oneOf("securityPolicy", c.securityPolicy(), "None", "Basic256Sha256")) {
                case "None" -> SecurityPolicy.None;
                default -> SecurityPolicy.Basic256Sha256;
            };
            MessageSecurityMode securityMode = MessageSecurityMode.valueOf(ConfigChecks.oneOf("securityMode", c.securityMode(), "None", "Sign", "SignAndEncrypt"));
            if ((policy == SecurityPolicy.None) != (securityMode == MessageSecurityMode.None)) {
                throw new IllegalArgumentException("securityPolicy=" + c.securityPolicy() + " with securityMode=" + c.securityMode()
                        + ": None goes with None, Basic256Sha256 with Sign or SignAndEncrypt");
            }
            String username = c.username() == null ? "" : c.username().trim();
            String password = c._password() == null ? "" : c._password();
            if (!username.isEmpty() && password.isEmpty()) {
                throw new IllegalArgumentException("username=" + username + " needs the private property .password");
            }
            if (!username.isEmpty() && policy == SecurityPolicy.None) {
                throw new IllegalArgumentException("username=" + username + " with securityPolicy=None would send the password over an "
                        + "unprotected channel: use securityPolicy=Basic256Sha256 with securityMode=SignAndEncrypt, or no user");
            }
            boolean polling = ConfigChecks.oneOf("mode", c.mode(), "subscription", "polling").equals("polling");
            ConfigChecks.range("publishingIntervalMs", c.publishingIntervalMs(), 10, 3_600_000);
            ConfigChecks.range("samplingIntervalMs", c.samplingIntervalMs(), 0, 3_600_000);
            ConfigChecks.range("queueSize", c.queueSize(), 1, 10_000);
            ConfigChecks.range("pollIntervalMs", c.pollIntervalMs(), 10, 3_600_000);
            ConfigChecks.range("timeoutMs", c.timeoutMs(), 100, 120_000);
            ConfigChecks.range("reconnectMinMs", c.reconnectMinMs(), 10, 600_000);
            ConfigChecks.range("reconnectMaxMs", c.reconnectMaxMs(), c.reconnectMinMs(), 3_600_000);
            List<OpcUaChannel> channels = OpcUaChannel.parseAll(c.channels());
            ClientPki pki;
            try {
                pki = ClientPki.open(pkiDirectory);
            } catch (Exception e) {
                throw new IllegalArgumentException("PKI folder " + pkiDirectory + " unusable: " + e.getMessage(), e);
            }
            return new OpcUaSettings(deviceId, endpointUrl, policy, securityMode, username, password, polling, channels, pki, c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + OpcUaDevice.PID + " of device '" + c.deviceId() + "': " + e.getMessage(), e);
        }
    }
}
