package io.courier.relayer.status;

import io.courier.finality.Transfer;
import java.util.List;

/** The transfers the long-horizon monitor found stuck on its last walk (oldest first), for {@code ?stuck=true}. */
@FunctionalInterface
public interface StuckTransfers {

    List<Transfer> current();

    StuckTransfers NONE = List::of;
}
