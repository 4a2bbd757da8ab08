// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMessageRecipient} from "../../main/solidity/IMessageRecipient.sol";

/// @title Test recipient with a switch (tests only)
/// @notice Accepts, refuses or burns all its gas, as the test sets it; counts and records what it handled.
contract TestRecipient is IMessageRecipient {
    uint8 public constant ACCEPT = 0;
    uint8 public constant REFUSE = 1;
    uint8 public constant BURN_GAS = 2;
    uint8 public constant REFUSE_VERBOSELY = 3;

    uint8 public mode;
    uint256 public handled;
    uint256 public lastSrcChainId;
    address public lastSender;
    bytes public lastPayload;

    event Handled(uint256 srcChainId, address sender, bytes payload);

    error Refused(uint256 srcChainId, address sender, string why);

    /// @notice Chooses what the next `handle` calls do.
    function setMode(uint8 mode_) external {
        mode = mode_;
    }

    function handle(uint256 srcChainId, address sender, bytes calldata payload) external override {
        if (mode == REFUSE) revert Refused(srcChainId, sender, "recipient switched off");
        if (mode == REFUSE_VERBOSELY) {
            // Revert data far over the gateway's MAX_REVERT_DATA: the event must carry a cut copy.
            revert Refused(srcChainId, sender, string(new bytes(1000)));
        }
        if (mode == BURN_GAS) {
            // Spin until the gas given by the gateway is gone.
            while (true) {}
        }
        handled += 1;
        lastSrcChainId = srcChainId;
        lastSender = sender;
        lastPayload = payload;
        emit Handled(srcChainId, sender, payload);
    }
}
