/**
 * The datasets shipped with dtrain (data/datasets/), by name: rows × feature columns ×
 * classes. The scenario checks partitions against them; the estimate sizes runs with them.
 */
export interface ShippedShape {
  samples: number;
  features: number;
  classes: number;
}

export const SHIPPED_SHAPES: Readonly<Record<string, ShippedShape>> = {
  iris: { samples: 150, features: 4, classes: 3 },
  wine: { samples: 178, features: 13, classes: 3 },
  breast_cancer: { samples: 569, features: 30, classes: 2 },
  digits: { samples: 1797, features: 64, classes: 10 },
};
