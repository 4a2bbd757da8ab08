/**
 * The narrow interfaces through which one pipeline stage hands work to the next (watcher and submitter to the
 * attester, attester to the submitters). The node wires them to actor refs; the stages never import each other.
 */
package io.courier.relayer.handoff;
