import type { Command } from 'commander';
import type { CommandKit } from '../../command-kit.js';

/** `ratchet sota`: our suite beside the peers, in one interleaved pass (sota.ts). */
export function register(program: Command, kit: CommandKit): void {
  kit
    .withPeerOptions(
      kit.measuringCommand(program, 'sota', 'our suite beside PyTorch SDPA (FlashAttention-2, memory-efficient, cuDNN, math) in the same run'),
      'peers to run (default: every torch-sdpa backend)',
    )
    .action(kit.action(async (context, ids: string[], options) => (await import('./sota.js')).sotaCommand(ids, options, context)));
}
