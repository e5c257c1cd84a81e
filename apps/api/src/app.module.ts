/**
 * The Nest module of one app instance. Everything mode-specific is decided in
 * app.factory.ts and handed in as ready objects (value providers): no
 * request-scoped providers, strategies stay singletons (nestjs/nest #1870).
 */
import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { ApiController } from './api/api.controller';
import { ApiAuthGuard } from './auth/api-auth.guard';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  /** authController is null in none mode: no /auth/* route at all. */
  static register(authController: Type<unknown> | null, providers: Provider[]): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, ApiController, ...(authController ? [authController] : [])],
      providers: [ApiAuthGuard, ...providers],
    };
  }
}
