// Every migration, in order. Append new numbered files; never edit or reorder released ones.
import type { Migration } from './migration.js';
import { migration001Documents } from './001-documents.js';
import { migration002ImageTokens } from './002-image-tokens.js';
import { migration003Conversations } from './003-conversations.js';
import { migration004BatchJobs } from './004-batch-jobs.js';
import { migration005PromptSnapshots } from './005-prompt-snapshots.js';
import { migration006SummaryParts } from './006-summary-parts.js';
import { migration007Models } from './007-models.js';
import { migration008Settings } from './008-settings.js';
import { migration009SnapshotLru } from './009-snapshot-lru.js';
import { migration010MessageRegion } from './010-message-region.js';

export type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [
  migration001Documents,
  migration002ImageTokens,
  migration003Conversations,
  migration004BatchJobs,
  migration005PromptSnapshots,
  migration006SummaryParts,
  migration007Models,
  migration008Settings,
  migration009SnapshotLru,
  migration010MessageRegion,
];
