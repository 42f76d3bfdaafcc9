// @paypal/checkout-server-sdk ships no types; this covers the part the service uses.
declare module '@paypal/checkout-server-sdk' {
  export interface HttpRequest {
    path: string;
    verb: string;
    headers: Record<string, string>;
    body?: unknown;
  }
  export namespace core {
    class PayPalEnvironment {
      constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string);
      baseUrl: string;
    }
    class PayPalHttpClient {
      constructor(environment: PayPalEnvironment);
      execute<T = unknown>(
        request: unknown,
      ): Promise<{ statusCode: number; headers: Record<string, string>; result: T }>;
    }
  }
  export namespace orders {
    class OrdersCreateRequest {
      headers: Record<string, string>;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
    class OrdersCaptureRequest {
      constructor(orderId: string);
      payPalRequestId(id: string): this;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
    class OrdersGetRequest {
      constructor(orderId: string);
    }
  }
  export namespace payments {
    class CapturesRefundRequest {
      constructor(captureId: string);
      payPalRequestId(id: string): this;
      prefer(value: string): this;
      requestBody(body: unknown): this;
    }
  }
}
