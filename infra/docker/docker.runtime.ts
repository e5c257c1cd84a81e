/** The Docker runtime (testcontainers): not built yet. */
import { InfraError } from '../process/infra-error';
import type { RuntimeStartContext, TopologyRuntime } from '../runtime/runtime.types';

export async function startDockerRuntime(_ctx: RuntimeStartContext): Promise<TopologyRuntime> {
  throw new InfraError(
    'the docker runtime is not available in this build yet: use --runtime process.',
    'usage',
  );
}
