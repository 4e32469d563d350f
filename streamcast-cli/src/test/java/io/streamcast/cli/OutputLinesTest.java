package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputLinesTest {
    private static String format(String stream, String json) {
        return OutputLines.format(stream, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachStreamAsOneReadableLine() {
        assertEquals(
                "2015-09-09T17:33:00Z  speed_7578  forecast for 2015-09-09T17:38:00Z: 43.072"
                        + " [32.48, 53.664] blend, model v0",
                format(
                        "forecasts",
                        "{\"series\":\"speed_7578\",\"ts\":\"2015-09-09T17:33:00Z\",\"model\":{\"version\":0,"
                                + "\"cell\":\"lstm\"},\"coldStart\":false,\"forecast\":[{\"step\":1,"
                                + "\"ts\":\"2015-09-09T17:38:00Z\",\"mean\":43.071871217419556,"
                                + "\"lower\":32.47965701763471,\"upper\":53.664085417204404,"
                                + "\"source\":\"blend\",\"network\":43.13173985764468}]}"));
        assertEquals(
                "2015-09-09T17:38:00Z  speed_7578  alert OPEN warning speed_7578-1441820280000,"
                        + " score 0.30008: value 62.0 above expected band",
                format(
                        "alerts",
                        "{\"series\":\"speed_7578\",\"alertId\":\"speed_7578-1441820280000\","
                                + "\"state\":\"open\",\"ts\":\"2015-09-09T17:38:00Z\","
                                + "\"score\":0.30007954134281106,\"severity\":\"warning\","
                                + "\"reason\":\"value 62.0 above expected band\"}"));
        assertEquals(
                "INVALID_VALUE  file:/tmp/in/speed_7578.csv line 201: not a number: 'n/a'; raw:"
                        + " 2015-09-09 04:19:00,n/a",
                format(
                        "dead-letters",
                        "{\"reason\":\"INVALID_VALUE\",\"message\":\"not a number: 'n/a'\",\"raw\":"
                                + "\"2015-09-09 04:19:00,n/a\",\"source\":\"file:/tmp/in/speed_7578.csv\","
                                + "\"line\":201}"));
        assertEquals(
                "model v1 lstm: training loss 4.337, validation loss 2.2614, 512 samples seen,"
                        + " 4385 parameters",
                format(
                        "models",
                        "{\"version\":1,\"cell\":\"lstm\",\"metrics\":{\"trainLoss\":4.336954197287559,"
                                + "\"validationLoss\":2.261372262297525,\"samplesSeen\":512},"
                                + "\"parameterCount\":4385,\"parameters\":\"AAAA\"}"));
        assertEquals(
                "2015-09-09T17:38:00Z  speed_7578  actual 62, expected 43.072 [32.48, 53.664],"
                        + " score 0.30008",
                format(
                        "scores",
                        "{\"series\":\"speed_7578\",\"ts\":\"2015-09-09T17:38:00Z\",\"actual\":62.0,"
                                + "\"expected\":43.071871217419556,\"lower\":32.47965701763471,"
                                + "\"upper\":53.664085417204404,\"score\":0.30007954134281106}"));
    }

    @Test
    void whatItCannotReadIsPrintedAsItIs() {
        assertEquals("not json", format("forecasts", "not json"));
        assertEquals("{\"other\":1}", format("scores", "{\"other\":1}"));
    }
}
