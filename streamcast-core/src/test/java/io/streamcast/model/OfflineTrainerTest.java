package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineTrainerTest {
    private static final List<float[][]> TRAIN = OnlineTrainerTest.sineExamples(160, 1);
    private static final List<float[][]> VALIDATION = OnlineTrainerTest.sineExamples(40, 2);

    private static OfflineTrainer trainer() {
        return new OfflineTrainer(
                OnlineTrainerTest.SPEC, OnlineTrainerTest.TRAINING, OnlineTrainerTest.WINDOW);
    }

    @Test
    void keepsTheWeightsOfTheEpochWithTheLowestValidationLossAndIsDeterministic() {
        List<OfflineTrainer.Epoch> reported = new ArrayList<>();
        OfflineTrainer.Result r = trainer().train(TRAIN, VALIDATION, 4, reported::add);

        assertEquals(4, reported.size(), "one report per epoch");
        assertEquals(reported, r.epochs());
        double lowest =
                reported.stream()
                        .mapToDouble(OfflineTrainer.Epoch::validationLoss)
                        .min()
                        .orElseThrow();
        assertEquals(lowest, r.validationLoss(), 0.0);
        OfflineTrainer.Epoch best =
                reported.stream().filter(e -> e.epoch() == r.bestEpoch()).findFirst().orElseThrow();
        assertEquals(lowest, best.validationLoss(), 0.0);
        assertTrue(
                reported.get(reported.size() - 1).trainLoss() < reported.get(0).trainLoss(),
                "a learnable signal: training loss falls over the epochs " + reported);
        assertEquals(4L * TRAIN.size(), r.examplesSeen());
        assertEquals(
                RecurrentNetwork.create(OnlineTrainerTest.SPEC).params().length, r.params().length);

        OfflineTrainer.Result again = trainer().train(TRAIN, VALIDATION, 4, e -> {});
        assertArrayEquals(r.params(), again.params(), "same spec seed and examples, same weights");
    }

    @Test
    void refusesToTrainOnNothingOrForNoEpochs() {
        assertThrows(
                IllegalArgumentException.class,
                () -> trainer().train(List.of(), VALIDATION, 1, e -> {}));
        assertThrows(
                IllegalArgumentException.class,
                () -> trainer().train(TRAIN, VALIDATION, 0, e -> {}));
    }
}
