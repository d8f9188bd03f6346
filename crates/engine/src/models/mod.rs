//! Statistical models of repeat buying: BG/NBD (who is still a customer, how often they will
//! buy) and, later, Gamma-Gamma (how much). The same verbs on each, as in Python's `lifetimes`:
//! `fit`, then the per-customer predictions.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod special;
