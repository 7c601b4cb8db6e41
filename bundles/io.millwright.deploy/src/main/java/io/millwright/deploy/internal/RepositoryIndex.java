package io.millwright.deploy.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** An OSGi R5 repository index ({@code index.xml}), parsed from the exact bytes whose signature was checked. */
final class RepositoryIndex {

    private final List<IndexResource> resources;

    private RepositoryIndex(List<IndexResource> resources) {
        this.resources = List.copyOf(resources);
    }

    List<IndexResource> resources() {
        return resources;
    }

    /**
     * @param name a symbolic name
     * @param range a version range
     * @return the highest version of the bundle in range
     */
    Optional<IndexResource> best(String name, VersionRange range) {
        return resources.stream().filter(r -> r.name().equals(name) && range.includes(r.version()))
                .max(Comparator.comparing(IndexResource::version));
    }

    /**
     * @param bytes the index's XML
     * @return the index
     * @throws IOException when it is not an index, naming what is wrong
     */
    static RepositoryIndex parse(byte[] bytes) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            root = b.parse(new ByteArrayInputStream(bytes)).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the index is not well-formed XML: " + e.getMessage(), e);
        }
        if (!root.getLocalName().equals("repository")) {
            throw new IOException("the index's root element is <" + root.getLocalName() + ">, expected <repository> (OSGi R5)");
        }
        List<IndexResource> out = new ArrayList<>();
        for (Element r : children(root, "resource")) {
            IndexResource resource = new IndexResource();
            for (Node n = r.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && (e.getLocalName().equals("capability") || e.getLocalName().equals("requirement"))) {
                    Map<String, Object> attributes = new HashMap<>();
                    Map<String, String> directives = new HashMap<>();
                    for (Element a : children(e, "attribute")) {
                        attributes.put(a.getAttribute("name"), typed(a.getAttribute("type"), a.getAttribute("value")));
                    }
                    for (Element a : children(e, "directive")) {
                        directives.put(a.getAttribute("name"), a.getAttribute("value"));
                    }
                    resource.add(e.getAttribute("namespace"), attributes, directives, e.getLocalName().equals("capability"));
                }
            }
            if (!resource.name().isEmpty()) {
                out.add(resource);
            }
        }
        return new RepositoryIndex(out);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList list = parent.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The attribute types of the R5 index format. */
    static Object typed(String type, String value) throws IOException {
        String t = type == null || type.isEmpty() ? "String" : type;
        try {
            if (t.startsWith("List<") && t.endsWith(">")) {
                String element = t.substring(5, t.length() - 1);
                List<Object> list = new ArrayList<>();
                for (String part : splitList(value)) {
                    list.add(typed(element, part.strip()));
                }
                return List.copyOf(list);
            }
            return switch (t) {
                case "String" -> value;
                case "Version" -> Version.parseVersion(value.strip());
                case "Long" -> Long.parseLong(value.strip());
                case "Double" -> Double.parseDouble(value.strip());
                default -> throw new IOException("attribute type '" + type + "' is not one of the index format's");
            };
        } catch (IllegalArgumentException e) {
            throw new IOException("attribute value '" + value + "' is not a " + t, e);
        }
    }

    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == ',') {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }
}
