package io.courier.chain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle path from one message id of a checkpoint to its {@link CheckpointRoot}: the siblings met on the way up,
 * each with the side it sits on. With the root's signatures it lets anyone check, off chain and without the rest of
 * the range, that validators vouched for this message: fold the id through the steps, compare with the signed root.
 * A level where the path's node is the odd last one has no sibling (the node is carried up unchanged), so it has no
 * step; a range of one message has an empty path.
 */
public record CheckpointProof(int leafIndex, int leaves, List<Step> steps) {

    /** Which side of the path's node a sibling sits on: {@code LEFT} means parent = keccak256(sibling ‖ node). */
    public enum Side { LEFT, RIGHT }

    /** One sibling on the way up. */
    public record Step(Bytes32 sibling, Side side) {
        public Step {
            Objects.requireNonNull(sibling, "sibling");
            Objects.requireNonNull(side, "side");
        }
    }

    public CheckpointProof {
        if (leaves < 1 || leafIndex < 0 || leafIndex >= leaves) {
            throw new IllegalArgumentException("leaf " + leafIndex + " of a checkpoint of " + leaves + " message(s)");
        }
        steps = List.copyOf(steps);
    }

    /** The path of {@code ids.get(index)} in the tree {@link CheckpointRoot#of} builds over {@code ids}. */
    public static CheckpointProof of(List<MessageId> ids, int index) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint covers at least one message id");
        }
        if (index < 0 || index >= ids.size()) {
            throw new IllegalArgumentException("leaf " + index + " of a checkpoint of " + ids.size() + " message(s)");
        }
        List<byte[]> level = ids.stream().map(MessageId::bytes).toList();
        List<Step> steps = new ArrayList<>();
        int position = index;
        while (level.size() > 1) {
            int sibling = position ^ 1;
            if (sibling < level.size()) {
                steps.add(new Step(Bytes32.of(level.get(sibling)), sibling < position ? Side.LEFT : Side.RIGHT));
            }
            level = CheckpointRoot.levelUp(level);
            position /= 2;
        }
        return new CheckpointProof(index, ids.size(), steps);
    }

    /** The root {@code leaf} folds to along this path: the checkpoint's root exactly when the leaf belongs there. */
    public CheckpointRoot rootFrom(MessageId leaf) {
        byte[] node = Objects.requireNonNull(leaf, "leaf").bytes();
        for (Step step : steps) {
            node = step.side() == Side.LEFT ? CheckpointRoot.parent(step.sibling().bytes(), node)
                    : CheckpointRoot.parent(node, step.sibling().bytes());
        }
        return new CheckpointRoot(Bytes32.of(node));
    }
}
