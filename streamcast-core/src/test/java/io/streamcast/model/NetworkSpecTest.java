package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class NetworkSpecTest {
    @Test
    void theDecoderDecidesTheHeadsOutputs() {
        NetworkSpec direct = new NetworkSpec(Cell.LSTM, 1, 8, 1, 6, 1, 0.01, 1, 0);
        assertEquals(Decoder.DIRECT, direct.decoder());
        assertFalse(direct.autoregressive());
        assertEquals(6, direct.outputs());
        NetworkSpec rolled =
                new NetworkSpec(Cell.GRU, 1, 8, 1, 6, 1, 0.01, 1, 0, Decoder.AUTOREGRESSIVE, 0);
        assertTrue(rolled.autoregressive());
        assertEquals(1, rolled.outputs());
    }

    @Test
    void invalidSpecsAreRefusedWithMessagesNamingTheSettingAndValue() {
        assertMessage(
                () -> new NetworkSpec(null, 1, 8, 1, 1, 1, 0.01, 1, 0),
                "unknown cell 'null'; one of [rnn, lstm, gru, bilstm] is allowed");
        assertMessage(
                () -> new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 1, 0.01, 1, 0, null, 0),
                "decoder must be 'direct' or 'autoregressive', was 'null'");
        assertMessage(
                () -> new NetworkSpec(Cell.LSTM, 0, 8, 1, 1, 1, 0.01, 1, 0),
                "layers, hidden, width and horizon must be positive: layers=0 hidden=8 width=1"
                        + " horizon=1");
        assertMessage(
                () -> new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 1, 0.01, 1, 0.95),
                "dropout must be in [0, 0.9], was 0.95");
        assertMessage(
                () ->
                        new NetworkSpec(
                                Cell.BILSTM, 1, 8, 1, 4, 1, 0.01, 1, 0, Decoder.AUTOREGRESSIVE, 0),
                "the bilstm cell reads the whole window both ways and has no state to roll"
                        + " forward: it needs the direct decoder");
        assertMessage(
                () -> new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 1, 0.01, 1, 0, Decoder.DIRECT, -1),
                "tbpttLength must be 0 (full BPTT) or positive, was -1");
        assertMessage(
                () -> new NetworkSpec(Cell.GRU, 1, 8, 1, 1, 1, 0.01, 1, 0, Decoder.DIRECT, 8),
                "truncated BPTT needs a cell whose state DL4J carries across segments (rnn, lstm),"
                        + " not gru");
    }

    @Test
    void theSummaryNamesCellAndDecoderAsConfigurationDoes() {
        assertEquals(
                "gru layers=2 hidden=16 width=3 horizon=4 decoder=autoregressive dropout=0.1"
                        + " lr=0.005 clip=1.0 seed=42",
                new NetworkSpec(Cell.GRU, 2, 16, 3, 4, 42, 0.005, 1, 0.1, Decoder.AUTOREGRESSIVE, 0)
                        .summary());
        assertEquals(
                "lstm layers=1 hidden=8 width=1 horizon=1 decoder=direct dropout=0.0 lr=0.01"
                        + " clip=0.0 tbptt=12 seed=7",
                new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 7, 0.01, 0, 0, Decoder.DIRECT, 12)
                        .summary());
    }

    private static void assertMessage(Executable build, String expected) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, build).getMessage());
    }
}
