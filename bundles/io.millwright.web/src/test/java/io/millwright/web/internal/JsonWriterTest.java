package io.millwright.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedStructuresWithEscapesAndNoNaN() {
        String json = new JsonWriter().beginObject()
                .field("text", "a \"quoted\"\n<tag>")
                .field("nan", Double.NaN)
                .field("pi", 3.5)
                .field("whole", 42.0)
                .name("list").beginArray().value(1L).value(true).value((String) null).endArray()
                .name("empty").beginObject().endObject()
                .endObject().toString();
        assertThat(json).isEqualTo("{\"text\":\"a \\\"quoted\\\"\\n\\u003ctag\\u003e\",\"nan\":null,\"pi\":3.5,\"whole\":42,"
                + "\"list\":[1,true,null],\"empty\":{}}");
    }
}
