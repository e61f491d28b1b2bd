package org.transcuda.ptx.fatbin;

/**
 * The PTX chosen for a device by {@link FatBinary#selectPtx(java.util.List, int)}: the entry, its text, how well
 * it matches the device and a sentence saying why it was chosen (for logs and error messages).
 *
 * @param entry  the chosen PTX entry
 * @param ptx    its text
 * @param match  how it relates to the device
 * @param reason why it was chosen, e.g. "compute_80 PTX: the newest PTX a sm_86 device can run (also present:
 *               compute_75, compute_90)"
 */
public record PtxSelection(Entry entry, String ptx, Match match, String reason) {

    /** How the chosen PTX relates to the device. */
    public enum Match {
        /** CUDA itself would JIT this PTX for the device. */
        COMPATIBLE,
        /**
         * Generic or family PTX for an architecture newer than the device (CUDA would refuse it); chosen because
         * no compatible PTX is present and the translator can usually handle it. Instructions the translation does
         * not support are reported when the module is translated.
         */
        NEWER_THAN_DEVICE,
        /**
         * Arch-specific or family PTX for a different architecture or family than the device's (CUDA would refuse
         * it); chosen because nothing better is present.
         */
        OTHER_VARIANT,
        /** A bare PTX image: the only PTX there is, whatever its target. */
        ONLY_PTX
    }
}
