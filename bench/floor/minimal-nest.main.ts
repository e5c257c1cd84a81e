/**
 * Floor fixture: the smallest NestJS 11 / Express 5 app doing the API's
 * per-request check for one mode (fixture.auth.ts): one global guard
 * (jsonwebtoken for jwt; express-session with the memory store or
 * connect-redis for sessions) and one controller answering GET /api/me with
 * the API's JSON. Settings the API also makes (no ETag, no x-powered-by, no
 * body parser on GETs) are made here too, so the gap is the API's own work.
 * Started by floor.servers.ts; prints `listening on host:port` like the API.
 */
import 'reflect-metadata';
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  Req,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RedisStore } from 'connect-redis';
import { json, type Request } from 'express';
import session, { type Store } from 'express-session';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import {
  checkLogin,
  findUser,
  loginAnswer,
  readFixtureEnv,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  userOfBearer,
  type FixtureEnv,
  type FixtureUser,
} from './fixture.auth';

declare module 'express-session' {
  interface SessionData {
    /** The floor fixture's logged-in user. */
    floorUserId?: number;
  }
}

const ENV = Symbol('FLOOR_ENV');
const PUBLIC = 'floor:public';
const Public = () => SetMetadata(PUBLIC, true);

@Injectable()
class FloorGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ENV) private readonly env: FixtureEnv,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.get<boolean>(PUBLIC, context.getHandler())) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const user =
      this.env.mode === 'jwt'
        ? userOfBearer(this.env.jwtKey, req.headers.authorization)
        : req.session?.floorUserId !== undefined
          ? findUser(req.session.floorUserId)
          : null;
    if (!user) throw new UnauthorizedException();
    req.user = user;
    return true;
  }
}

@Controller()
class FloorController {
  constructor(@Inject(ENV) private readonly env: FixtureEnv) {}

  @Public()
  @Get('readyz')
  ready(): { status: string } {
    return { status: 'ok' };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Req() req: Request, @Body() body: unknown): Promise<unknown> {
    const user = checkLogin(body);
    if (!user) throw new UnauthorizedException();
    if (this.env.mode === 'jwt') return loginAnswer(this.env.jwtKey, user);
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    req.session.floorUserId = user.id;
    await new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
    return { user };
  }

  @Get('api/me')
  me(@Req() req: Request): { id: number; username: string } {
    const user = req.user as FixtureUser;
    return { id: user.id, username: user.username };
  }
}

async function storeOf(env: FixtureEnv): Promise<Store | undefined> {
  if (env.mode !== 'session-redis') return undefined; // express-session's MemoryStore
  const client = createClient({ url: env.redisUrl as string });
  await client.connect();
  return new RedisStore({ client, prefix: 'sess:', ttl: SESSION_TTL_SECONDS, disableTouch: true });
}

async function main(): Promise<void> {
  const env = readFixtureEnv(process.env);
  @Module({
    controllers: [FloorController],
    providers: [
      { provide: ENV, useValue: env },
      { provide: APP_GUARD, useClass: FloorGuard },
    ],
  })
  class FloorModule {}
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/auth/login', json());
  if (env.mode !== 'jwt') {
    const store = await storeOf(env);
    app.use(
      session({
        name: SESSION_COOKIE,
        secret: env.sessionSecret,
        ...(store ? { store } : {}),
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax', path: '/' },
      }),
    );
  }
  await app.listen(env.port, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`listening on 127.0.0.1:${address.port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`floor fixture: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(4);
});
