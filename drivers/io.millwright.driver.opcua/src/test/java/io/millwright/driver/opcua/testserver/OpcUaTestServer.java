package io.millwright.driver.opcua.testserver;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A real Eclipse Milo OPC UA server on 127.0.0.1 for tests: endpoints None/None and
 * Basic256Sha256/SignAndEncrypt, anonymous and one user ({@value #USER} / {@value #PASSWORD}), a
 * self-signed server certificate, and a namespace {@value #NAMESPACE} (index 2) of variables the test
 * sets and reads: {@code ns=2;s=<name>}. Client certificates must be trusted explicitly.
 */
public final class OpcUaTestServer implements AutoCloseable {

    public static final String NAMESPACE = "urn:millwright:test:plant";
    public static final String USER = "operator";
    public static final String PASSWORD = "s3cret-pump";

    private final OpcUaServer server;
    private final MemoryTrustListManager trust = new MemoryTrustListManager();
    private final PlantNamespace namespace;
    private final X509Certificate certificate;
    private final int port;

    /**
     * @param port TCP port on 127.0.0.1
     * @param trustedClients client certificates the server accepts for secure channels
     * @throws Exception if the server cannot start
     */
    public OpcUaTestServer(int port, List<X509Certificate> trustedClients) throws Exception {
        this(port, trustedClients, identity(), false);
    }

    /**
     * A server that accepts any client certificate (still signing and encrypting), for tests whose
     * client certificate is created inside the gateway.
     *
     * @param port TCP port on 127.0.0.1
     * @return the started server
     * @throws Exception if it cannot start
     */
    public static OpcUaTestServer acceptingAnyClient(int port) throws Exception {
        return new OpcUaTestServer(port, List.of(), identity(), true);
    }

    /** The server's key and certificate, kept for the JVM so that a restarted server is the same server. */
    private static synchronized Object[] identity() throws Exception {
        if (identity == null) {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate cert = new SelfSignedCertificateBuilder(keyPair).setCommonName("Millwright test server")
                    .setApplicationUri("urn:millwright:test:server").addDnsName("localhost").addIpAddress("127.0.0.1").build();
            identity = new Object[] {keyPair, cert};
        }
        return identity;
    }

    private static Object[] identity;

    private OpcUaTestServer(int port, List<X509Certificate> trustedClients, Object[] id, boolean anyClient) throws Exception {
        this.port = port;
        KeyPair keyPair = (KeyPair) id[0];
        this.certificate = (X509Certificate) id[1];
        for (X509Certificate c : trustedClients) {
            trust.addTrustedCertificate(c);
        }
        MemoryCertificateQuarantine quarantine = new MemoryCertificateQuarantine();
        RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
            @Override
            public KeyPair createKeyPair(NodeId certificateTypeId) {
                return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair kp) {
                return new X509Certificate[] {certificate};
            }
        };
        DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trust, new MemoryCertificateStore(), factory,
                anyClient ? new org.eclipse.milo.opcua.stack.core.security.CertificateValidator.InsecureCertificateValidator()
                        : new DefaultServerCertificateValidator(trust, quarantine));
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        EndpointConfig.Builder base = EndpointConfig.newBuilder().setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1").setHostname("127.0.0.1").setBindPort(port).setPath("/plant").setCertificate(certificate)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS, USER_TOKEN_POLICY_USERNAME);
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256).setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        OpcUaServerConfig config = OpcUaServerConfig.builder().setApplicationUri("urn:millwright:test:server")
                .setApplicationName(LocalizedText.english("Millwright test plant")).setProductUri("urn:millwright:test")
                .setEndpoints(endpoints).setCertificateManager(new DefaultCertificateManager(quarantine, group))
                .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
                        new UsernameIdentityValidator(c -> USER.equals(c.getUsername()) && PASSWORD.equals(c.getPassword()))))
                .build();
        this.server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        this.namespace = new PlantNamespace(server);
        namespace.startup();
        server.startup().get(20, TimeUnit.SECONDS);
    }

    /** @return the endpoint URL */
    public String url() {
        return "opc.tcp://127.0.0.1:" + port + "/plant";
    }

    /** @return the server's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Creates or sets a variable {@code ns=2;s=<name>} (read-write).
     *
     * @param name variable name
     * @param value the value (Double, Integer, Boolean, String, …)
     * @param status its status code
     */
    public void set(String name, Object value, long status) {
        namespace.set(name, new DataValue(new Variant(value), new StatusCode(status), DateTime.now(), DateTime.now()));
    }

    /**
     * @param name variable name
     * @param value the value
     * @param status its status code
     * @param sourceTime its source timestamp
     */
    public void set(String name, Object value, long status, java.time.Instant sourceTime) {
        namespace.set(name, new DataValue(new Variant(value), new StatusCode(status), new DateTime(sourceTime), DateTime.now()));
    }

    /**
     * @param name variable name
     * @param value the value, status Good
     */
    public void set(String name, Object value) {
        set(name, value, 0);
    }

    /**
     * @param name variable name
     * @return its current value
     */
    public Object get(String name) {
        return namespace.get(name);
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get(20, TimeUnit.SECONDS);
    }

    /**
     * Runs the server as a process for tests that need to stop and start it: args port,
     * client-certificate.der...; prints "ready" when listening; sets {@code Pressure} every 10 ms.
     *
     * @param args port and the client certificates to trust
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> clients = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            try (var in = Files.newInputStream(Path.of(args[i]))) {
                clients.add((X509Certificate) cf.generateCertificate(in));
            }
        }
        try (OpcUaTestServer s = new OpcUaTestServer(Integer.parseInt(args[0]), clients)) {
            s.set("Setpoint", 1200.0);
            long n = 0;
            System.out.println("ready " + s.url());
            System.out.flush();
            while (true) {
                s.set("Pressure", 4.0 + (n++ % 100) / 100.0);
                s.set("Counter", (int) n);
                Thread.sleep(10);
            }
        }
    }

    private static final class PlantNamespace extends ManagedNamespaceWithLifecycle {
        private final Map<String, UaVariableNode> nodes = new ConcurrentHashMap<>();

        PlantNamespace(OpcUaServer server) {
            super(server, NAMESPACE);
            getLifecycleManager().addLifecycle(getSubscriptionModel());
        }

        private org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel model;

        private org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel getSubscriptionModel() {
            if (model == null) {
                model = new org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel(getServer(), this);
            }
            return model;
        }

        void set(String name, DataValue value) {
            nodes.computeIfAbsent(name, n -> {
                UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext()).setNodeId(newNodeId(n))
                        .setBrowseName(newQualifiedName(n)).setDisplayName(LocalizedText.english(n)).setDataType(NodeIds.BaseDataType)
                        .setTypeDefinition(NodeIds.BaseDataVariableType).setAccessLevel(AccessLevel.READ_WRITE)
                        .setUserAccessLevel(AccessLevel.READ_WRITE).setValue(value).build();
                getNodeManager().addNode(node);
                return node;
            }).setValue(value);
        }

        Object get(String name) {
            UaVariableNode node = nodes.get(name);
            return node == null ? null : node.getValue().getValue().getValue();
        }

        @Override
        public void onDataItemsCreated(List<org.eclipse.milo.opcua.sdk.server.items.DataItem> items) {
            getSubscriptionModel().onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(List<org.eclipse.milo.opcua.sdk.server.items.DataItem> items) {
            getSubscriptionModel().onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(List<org.eclipse.milo.opcua.sdk.server.items.DataItem> items) {
            getSubscriptionModel().onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(List<org.eclipse.milo.opcua.sdk.server.items.MonitoredItem> items) {
            getSubscriptionModel().onMonitoringModeChanged(items);
        }
    }
}
