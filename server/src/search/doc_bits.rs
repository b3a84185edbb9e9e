//! A bit per document of a segment: the matches of a search, or the
//! documents holding a facet value.
use tantivy::DocId;

/// One bit per document of a segment.
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn new(max_doc: DocId) -> Self {
        Bits(vec![0; (max_doc as usize).div_ceil(64).max(1)])
    }

    pub fn insert(&mut self, doc: DocId) {
        self.0[doc as usize / 64] |= 1 << (doc % 64);
    }

    pub fn contains(&self, doc: DocId) -> bool {
        self.0
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    pub fn count_shared(&self, other: &Bits) -> u64 {
        let pairs = self.0.iter().zip(&other.0);
        pairs.map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    pub fn ones(&self) -> impl Iterator<Item = DocId> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    i as DocId * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn bits_count_what_two_sets_share_and_list_their_members() {
        let mut a = Bits::new(200);
        let mut b = Bits::new(200);
        for doc in [0, 63, 64, 130, 199] {
            a.insert(doc);
        }
        for doc in [63, 130, 131] {
            b.insert(doc);
        }
        assert_eq!(a.count_shared(&b), 2);
        assert_eq!(a.ones().collect::<Vec<_>>(), vec![0, 63, 64, 130, 199]);
        assert!(a.contains(199) && !a.contains(198) && !a.contains(5_000));
    }
}
