//! Performance: the measures the governing body holds the Chief Constable and the Chief Fire
//! Officer to account by. A versioned catalogue of measures with a data-quality note beside every
//! figure; open data imports (police recorded crime, outcomes and workforce; the fire statistics
//! data tables) and the force's and fire service's own returns; control charts with verdicts in
//! words instead of red, amber and green; comparisons with most similar groups; the public
//! dashboard; Public Performance Meeting packs from locked quarters; inspections and their
//! findings tracked to completion.

pub mod compare;
pub mod datasets;
pub mod figures;
pub mod model;
pub mod reference;
pub mod spc;
pub mod store;
