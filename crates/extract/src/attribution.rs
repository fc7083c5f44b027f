//! Attribution (who says so), stance and quotations. (Filled in by the attribution work.)
