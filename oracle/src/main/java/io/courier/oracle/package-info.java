/**
 * Gas and native-token price aggregation, fee quotes and the gas payment policy (docs/ARCHITECTURE.md §2). Empty until the
 * oracle issue: the module exists now so the reactor and its dependency direction are fixed from the start.
 */
package io.courier.oracle;
