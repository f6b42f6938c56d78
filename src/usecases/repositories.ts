/**
 * Every repository over one database, made in one place: front ends (the CLI, the app) hand this to the
 * use cases without reaching into the store themselves.
 */
import { createAgencyRepository } from '../store/agency-repository.js';
import { createAuditRepository } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createDocumentRepository } from '../store/document-repository.js';
import { createEvidenceRepository } from '../store/evidence-repository.js';
import { createInboundRepository } from '../store/inbound-repository.js';
import { createInstructionRepository } from '../store/instruction-repository.js';
import { createOutboxRepository } from '../store/outbox-repository.js';
import { createPeopleRepository } from '../store/people-repository.js';
import { createProgressRepository } from '../store/progress-repository.js';
import { createReviewRepository } from '../store/review-repository.js';
import { createSchedulerRepository } from '../store/scheduler-repository.js';
import { createTaskRepository } from '../store/task-repository.js';

export function createRepositories(db: DubanDatabase) {
  return {
    agencies: createAgencyRepository({ db }),
    audit: createAuditRepository({ db }),
    documents: createDocumentRepository({ db }),
    evidence: createEvidenceRepository({ db }),
    inbound: createInboundRepository({ db }),
    instructions: createInstructionRepository({ db }),
    outbox: createOutboxRepository({ db }),
    people: createPeopleRepository({ db }),
    progress: createProgressRepository({ db }),
    review: createReviewRepository({ db }),
    scheduler: createSchedulerRepository({ db }),
    tasks: createTaskRepository({ db }),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
