//! The linear maps' parametrisations: `dense`, `slim`, `rank1`,
//! `low_rank`, `sparse` and `shared_rows`, for any slot that holds a map.

use crate::front::tokens::Name;

use crate::front::syntax::{Entry, Value};
use crate::lower::check;
use crate::lower::decoder::Slot;
use crate::lower::ir::Linear;
use crate::lower::params::{Lowering, Role};

const LINEAR_KINDS: &str = "dense, slim, rank1, low_rank, sparse, shared_rows";

impl Lowering<'_> {
    pub fn linear(
        &mut self,
        slot: Slot,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
        input: Option<usize>,
        output: Option<usize>,
    ) -> Option<Linear> {
        let bias = || Role::optional("bias", output.map(|o| vec![o]));
        match kind.to_string().as_str() {
            "dense" => {
                let roles = vec![
                    Role::new("weight", output.zip(input).map(|(o, i)| vec![o, i])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &[])?;
                Some(Linear::Dense {
                    weight: params.tensors["weight"],
                    bias: params.tensors.get("bias").copied(),
                })
            }
            "slim" => {
                let reads = entries.iter().find_map(|entry| match &entry.value {
                    Value::Dims { dims, .. } if entry.name == "reads" => Some(dims.len()),
                    _ => None,
                });
                let roles = vec![
                    Role::new("weight", output.zip(reads).map(|(o, r)| vec![o, r])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &["reads"])?;
                let reads = self.structure_dims(&params, kind, "reads", input, None)?;
                Some(Linear::Slim {
                    reads,
                    weight: params.tensors["weight"],
                    bias: params.tensors.get("bias").copied(),
                })
            }
            "rank1" => {
                let roles = vec![
                    Role::new("u", output.map(|o| vec![o, 1])),
                    Role::new("v", input.map(|i| vec![1, i])),
                    bias(),
                ];
                let params = self.params(kind, module, entries, &roles, &[])?;
                let t = &params.tensors;
                Some(Linear::Rank1 {
                    u: t["u"],
                    v: t["v"],
                    bias: t.get("bias").copied(),
                })
            }
            "low_rank" => self.low_rank(kind, module, entries, input, output),
            "sparse" => {
                let roles: Vec<Role> = entries
                    .iter()
                    .filter(|entry| matches!(entry.value, Value::Tensor(_)))
                    .map(|entry| Role::new(entry.name.to_string(), Some(vec![1])))
                    .collect();
                let params = self.params(kind, module, entries, &roles, &[])?;
                let places = check::places(&params.places, output, input, self.errors)?;
                let entries = places
                    .into_iter()
                    .map(|(name, row, col)| (params.tensors[&name], row, col))
                    .collect();
                Some(Linear::Sparse { entries })
            }
            "shared_rows" => {
                let count = entries.iter().find_map(|entry| match &entry.value {
                    Value::Dims { dims, .. } if entry.name == "rows" => Some(
                        dims.iter()
                            .map(|d| d.value.saturating_add(1))
                            .max()
                            .unwrap_or(0),
                    ),
                    _ => None,
                });
                let mut roles: Vec<Role> = (0..count.unwrap_or(0).min(64))
                    .map(|r| Role::new(format!("row{r}"), input.map(|i| vec![i])))
                    .collect();
                roles.push(Role::optional("fc_bias", output.map(|o| vec![o])));
                let params = self.params(kind, module, entries, &roles, &["rows"])?;
                let assign = self.structure_dims(&params, kind, "rows", count, output)?;
                let rows = (0..count?)
                    .map(|r| params.tensors[&format!("row{r}")])
                    .collect();
                Some(Linear::SharedRows {
                    rows,
                    assign,
                    bias: params.tensors.get("fc_bias").copied(),
                })
            }
            _ => {
                let name = slot.name();
                let extra = match slot {
                    Slot::Q | Slot::K | Slot::V => ", rotation",
                    Slot::LmHead => ", parabolic, tied",
                    _ => "",
                };
                self.errors.at(
                    kind.span(),
                    format!("unknown parametrisation `{kind}` for `{name}`; expected one of: {LINEAR_KINDS}{extra}"),
                );
                None
            }
        }
    }

    /// `low_rank { A: [in, rank], B: [rank, out] }`: `y = (x A) B`.
    fn low_rank(
        &mut self,
        kind: &Name,
        module: &str,
        entries: Vec<Entry>,
        input: Option<usize>,
        output: Option<usize>,
    ) -> Option<Linear> {
        let rank = rank_of_a(&entries);
        if rank.is_none() && entries.iter().any(|entry| entry.name == "A") {
            self.errors.at(
                kind.span(),
                "`low_rank` needs `A: [in, rank]` with a rank from 1 to 64",
            );
        }
        let roles = vec![
            Role::new("A", input.zip(rank).map(|(i, r)| vec![i, r])),
            Role::new("B", output.zip(rank).map(|(o, r)| vec![r, o])),
        ];
        let params = self.params(kind, module, entries, &roles, &[])?;
        Some(Linear::LowRank {
            a: params.tensors["A"],
            b: params.tensors["B"],
            rank: rank?,
        })
    }
}

/// A factorisation's rank, read off its `A [rows, rank]` before `B` is
/// checked against it: `None` where `A` has no usable rank.
pub fn rank_of_a(entries: &[Entry]) -> Option<usize> {
    entries
        .iter()
        .find_map(|entry| match &entry.value {
            Value::Tensor(tensor) if entry.name == "A" && tensor.shape.len() == 2 => {
                Some(tensor.shape[1].value)
            }
            _ => None,
        })
        .filter(|rank| check::rank(*rank))
}
