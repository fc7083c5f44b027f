//! Event typing, actors and argument linking. (Filled in by the events work.)
