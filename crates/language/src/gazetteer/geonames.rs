//! Reading GeoNames dumps (filled in next).
