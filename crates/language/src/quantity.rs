//! Quantities. (Filled in by the quantities work.)
