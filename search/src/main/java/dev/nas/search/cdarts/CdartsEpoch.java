package dev.nas.search.cdarts;

/**
 * One epoch of a CDARTS search, as kept in {@code history.json}. Losses are the classifiers'
 * cross-entropy (stage heads not included); NaN where the epoch had no such step (joint learning
 * during the separate-learning-only warm-up).
 *
 * @param skipWeight λ' of this epoch
 * @param snetTrainLoss S-Net on the train split (w_S steps)
 * @param snetValLoss S-Net on the val split in the joint steps (L_val^S)
 * @param enetTrainLoss E-Net in its separate steps after each rebuild (on the val split)
 * @param enetJointLoss E-Net in the joint steps (L_val^E)
 * @param distillLoss introspective distillation, summed over the levels, in the joint steps
 * @param skipPenalty the skip-connection penalty without λ' (Eq. 11, or the softmax form) in the joint steps
 * @param enetValLoss E-Net after the epoch, inference mode, on the val split (which it trains on)
 * @param enetTestAcc E-Net after the epoch on the test split (never trained on)
 * @param enetRebuilds times the E-Net's architecture changed this epoch
 * @param enetInherited tensors the last rebuilt E-Net took over from its predecessor
 * @param enetParams learned weights of the static E-Net
 */
public record CdartsEpoch(int epoch, double lr, double skipWeight, double snetTrainLoss, double snetTrainAcc,
    double snetValLoss, double snetValAcc, double enetTrainLoss, double enetTrainAcc, double enetJointLoss,
    double distillLoss, double skipPenalty, double enetValLoss, double enetValAcc, double enetTestAcc,
    int enetRebuilds, int enetInherited, long enetParams, String genotype, int normalSkips,
    double snetSecondsPerStep, double enetSecondsPerStep, double jointSecondsPerStep, double seconds,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    dev.nas.search.cost.CostRecord cost) {}
